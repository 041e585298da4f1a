"""What leaves the desktop: tables as .xlsx and CSV, charts as PNG, the supervision report as PDF, and the
budget lines as a Fiscal Data Package."""
