"""Small helpers with no knowledge of Azure: clock, JSON, casing."""
