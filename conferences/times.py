"""Times as people read them, whatever their language."""


def utc_offset_label(moment):
    """'UTC+05:30' for an aware datetime: a label that reads the same in every language."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"
