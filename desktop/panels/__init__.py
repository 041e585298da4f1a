"""The six module panels (DESIGN.md §2, the source's 六大功能模块), each a dock's content."""
