#!/usr/bin/env bash
# videofer (Linux x64 release): runs the self-contained program in lib/ next to this script; no .NET needed.
# Before that, says in one line which system libraries are missing, if any, instead of a loader error later.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
lib="$here/lib"

missing=""
# OpenCV's runtime links GTK 3 (for its highgui module), libatomic and libdrm; .NET needs ICU for culture data.
# Measured on a minimal Debian 12 (debootstrap --variant=minbase): those four packages were all it lacked.
if command -v ldd >/dev/null; then
  missing=$(ldd "$lib/libOpenCvSharpExtern.so" 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
fi
if ! compgen -G "/usr/lib/x86_64-linux-gnu/libicuuc.so.*" >/dev/null && ! compgen -G "/lib/x86_64-linux-gnu/libicuuc.so.*" >/dev/null \
   && [[ "${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-}" != 1 && "${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-}" != true ]]; then
  missing+="libicuuc.so "
fi
if [[ -n "$missing" ]]; then
  echo "videofer: missing system libraries: ${missing% }; on Debian 12: apt-get install libgtk-3-0 libicu72 libatomic1 libdrm2 (elsewhere: your distribution's packages of these)" >&2
  exit 1
fi
exec "$lib/videofer" "$@"
