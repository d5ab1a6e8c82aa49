"""Non-visual parts of the main screen: display-less widgets that own a background job."""
