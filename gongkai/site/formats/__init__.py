"""Date formats per language (FORMAT_MODULE_PATH): templates write ``|date:"DATE_FORMAT"``, never a fixed pattern."""
