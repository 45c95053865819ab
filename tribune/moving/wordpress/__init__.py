"""Import of a WordPress (+ wpDiscuz) export: WXR 1.0-1.2 read as a stream."""
