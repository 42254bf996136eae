#!/usr/bin/env bash
# Builds the CLI release for Linux x64 into OUT_DIR (default out/release) and prints the paths it made:
#   videofer-<version>-linux-x64.tar.gz   `dotnet publish` self-contained (the .NET runtime inside: nothing
#                                         to install but libgtk-3-0 and libicu), with the model files, LICENSE
#                                         and THIRD-PARTY-NOTICES; its top folder holds the `videofer` wrapper
#   VideoFer.Cli.<version>.nupkg and VideoFer.Cli.linux-x64.<version>.nupkg
#                                         the same program as a dotnet tool (.NET 10 RID-specific tool package)
#   scripts/release.sh [--only tarball|tool] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
only=""
if [[ "${1:-}" == "--only" ]]; then only="$2"; shift 2; fi
OUT=$(realpath -m "${1:-out/release}")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$OUT"

say() { printf '\033[1;34m[release]\033[0m %s\n' "$*" >&2; }

version=$(dotnet msbuild src/VideoFer.Cli/VideoFer.Cli.csproj -getProperty:Version)

if [[ "$only" != tool ]]; then
  name="videofer-$version-linux-x64"
  stage="$OUT/$name"
  rm -rf "$stage" "$OUT/$name.tar.gz"
  mkdir -p "$stage"
  # VideoFerWeakenGlibcxx=always: the release runs on other machines than this one, so libLibTorchSharp.so's
  # GLIBCXX_3.4.32 need is made weak whatever this host's libstdc++ is (build/WeakenElfVersionNeed.cs;
  # harmless where the version exists). The models come with VideoFer.Models.Data (lib/videofer-models/).
  say "dotnet publish (self-contained, linux-x64) into $stage/lib"
  dotnet publish src/VideoFer.Cli/VideoFer.Cli.csproj -c Release -r linux-x64 --self-contained \
    -p:VideoFerWeakenGlibcxx=always -o "$stage/lib" -nologo -clp:"ErrorsOnly;NoSummary" -v q >&2
  # The RID build's own copy of every native library (libtorch included) is not needed once published.
  rm -rf src/VideoFer.Cli/bin/Release/net10.0/linux-x64
  # Symbols and XML docs are for library users (the .snupkg packages), not for the release.
  find "$stage/lib" -maxdepth 1 \( -name '*.pdb' -o -name '*.xml' \) -delete
  cp LICENSE THIRD-PARTY-NOTICES "$stage/"
  mkdir -p "$stage/licenses"
  packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
  cp "$packages/libtorch-cpu-linux-x64/"*/LICENSE-LIBTORCH.txt "$stage/licenses/"
  install -m 755 scripts/release-wrapper.sh "$stage/videofer"
  say "tar"
  tar -C "$OUT" -czf "$OUT/$name.tar.gz" "$name"
  rm -rf "$stage"
  echo "$OUT/$name.tar.gz"
fi

if [[ "$only" != tarball ]]; then
  # PackAsTool (VideoFer.Cli.csproj): framework-dependent, linux-x64 natives only, libLibTorchSharp.so patched as above.
  say "dotnet pack (dotnet tool, linux-x64) into $OUT"
  rm -f "$OUT"/VideoFer.Cli.*"$version".nupkg
  dotnet pack src/VideoFer.Cli/VideoFer.Cli.csproj -c Release -p:PackAsTool=true -o "$OUT" -nologo -clp:"ErrorsOnly;NoSummary" -v q >&2
  rm -rf src/VideoFer.Cli/bin/Release/net10.0/linux-x64
  echo "$OUT/VideoFer.Cli.$version.nupkg"
  echo "$OUT/VideoFer.Cli.linux-x64.$version.nupkg"
fi
