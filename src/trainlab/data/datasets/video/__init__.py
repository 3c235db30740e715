"""Video data sets: moving digits, a folder of video files."""
