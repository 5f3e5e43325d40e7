"""Files a person names with ``-o``: what an atomic write may replace, and what it must not.

Reports, exports and transcripts from ``coach run`` are written atomically (a temp file
beside the target, then a rename over it). A rename replaces whatever has the name:
``-o /dev/null`` turned /dev/null into a regular file (as root, for the whole system),
``-o`` a named pipe cut off its reader, and ``-o`` a symbolic link replaced the link
with a file. So a target that exists and is not a regular file or a folder (a device,
a pipe, a terminal) is written into, as any program writes into it, and a link is
followed to the file it names, which is then replaced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def written_in_place(path: Path) -> bool:
    """True when ``path`` (followed if a link) is a device, a pipe or a socket: write into it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # not there (or not reachable): the atomic write makes it, or says why not
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def replaced_path(path: Path) -> Path:
    """The file an atomic write to ``path`` replaces: a link's target, so the link stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path
