"""The supervision report (监督分析报告): figures from the replica, charts, and a PDF with Chinese fonts embedded."""
