"""What the reproductions share: the (width, height) sizes Pillow and OpenCV take."""
import operator


def width_height(size):
    """(width, height) from a pair of positive integers, as Pillow and OpenCV take a size;
    TypeError or ValueError (Pillow's message) otherwise."""
    try:
        width, height = (operator.index(v) for v in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be two integers (width, height), got {size!r}") from None
    if width < 1 or height < 1:
        raise ValueError("height and width must be > 0")
    return width, height
