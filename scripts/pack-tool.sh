#!/usr/bin/env bash
# Packs lpp as a .NET tool for this machine's platform, compiled ahead of time (Native AOT), into artifacts/tool/:
#
#   scripts/pack-tool.sh && dotnet tool install --global Lpp.Cli --add-source artifacts/tool
#
# (or `dotnet tool update ...` over an earlier install; `--tool-path DIR` instead of `--global` for a folder of your own).
# The package holds one native executable per runtime (linux-x64 here), started in a tenth of a second with no JIT:
# scripts/bench-startup.sh measures it against the other builds. Native AOT needs a C toolchain to link: clang when
# present, else gcc (Debian: apt-get install clang, or build-essential); the build takes several minutes.
# The trimming and AOT analyzers run on every build of src/ (IsAotCompatible in Directory.Build.props), so our own code
# is checked; the warnings left are the dependencies' own (LLamaSharp, Parquet.Net: IL2104, IL3053, IL3000), and
# the CLI's process tests pass against the packed executable: LPP_EXECUTABLE=PATH dotnet test tests/Lpp.Cli.Tests -c Release
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
linker=()
if ! command -v clang >/dev/null; then
  command -v gcc >/dev/null || { echo "pack-tool.sh: Native AOT needs clang or gcc to link (apt-get install clang)" >&2; exit 2; }
  linker=(-p:CppCompilerAndLinker=gcc)
fi
rm -rf artifacts/tool
echo "packing lpp for $rid with Native AOT (several minutes)..." >&2
dotnet pack src/Lpp.Cli -c Release -r "$rid" -p:PublishAot=true "${linker[@]}" \
  -p:WarningsNotAsErrors=IL2104%3BIL3053%3BIL3000 -o artifacts/tool --nologo --verbosity quiet >&2
ls artifacts/tool/*.nupkg
