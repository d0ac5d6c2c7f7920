"""The clinic's date and time formats (settings.FORMAT_MODULE_PATH): one way to write a time."""
