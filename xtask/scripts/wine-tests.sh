#!/usr/bin/env bash
# Runs the workspace's tests as Windows would, on Linux: cross-builds every
# test binary for x86_64-pc-windows-gnu, then runs each one under wine from
# its package's folder (as cargo does), with a time limit. Prints a line per
# binary and a total; exits 0 if every binary passed, 1 if any failed, 2 if
# a tool is missing or an argument is wrong.
#
#   bash xtask/scripts/wine-tests.sh                  # every test binary
#   bash xtask/scripts/wine-tests.sh 06-pools/tests/fetch shared/src
#                                     # only the binaries whose source path
#                                     # (lessons/ left out) contains one
#
# Needs: the target (`rustup target add x86_64-pc-windows-gnu`), its linker
# and wine (`apt-get install gcc-mingw-w64-x86-64 wine64`). Each binary's
# output goes to target/cross/wine/<its name>.log. WINE_TEST_LIMIT sets the
# time limit per binary in seconds (600). Doctests are not run: rustdoc runs
# them only natively. See CONTRIBUTING.md, "Other platforms".
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR="$root/target/cross"
bin_dir="$CARGO_TARGET_DIR/$target/debug"
logs="$CARGO_TARGET_DIR/wine"
limit=${WINE_TEST_LIMIT:-600}

# Tests that cannot pass under wine for a reason outside Windows itself,
# one per line: source path, test name (`*`: every test of that binary),
# reason. They are skipped (libtest's `--skip NAME --exact`) and counted as
# skipped, never as passed. List a test here only when the cause is the
# runner, not Windows: on Windows, `cargo test` gives every test cargo (and a
# developer has git).
known_artefacts='
xtask/tests/room.rs	*	runs `cargo xtask all`, and wine has no Windows cargo
xtask/tests/check.rs	*	copies the workspace with git and checks it with cargo: wine has neither
xtask/tests/commands.rs	*	copies the workspace with git and runs cargo xtask in it: wine has neither
xtask/tests/watch.rs	*	copies the workspace with git and watches it with cargo: wine has neither
'

die() {
  echo "wine-tests: $*" >&2
  exit 2
}

for arg in "$@"; do
  case $arg in
    -h | --help)
      sed -n '2,17s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    -*) die "unknown option $arg (try --help)" ;;
  esac
done

command -v wine >/dev/null || die "wine is not installed (apt-get install wine64)"
command -v x86_64-w64-mingw32-gcc >/dev/null ||
  die "the mingw linker is not installed (apt-get install gcc-mingw-w64-x86-64)"
rustup target list --installed 2>/dev/null | grep -qx "$target" ||
  die "the $target target is not installed (rustup target add $target)"

# 1. Build every test binary; cargo's JSON messages say where each one is.
cd "$root" || exit 2
mkdir -p "$logs"
echo "==> building the test binaries for $target"
cargo test --workspace --no-run --locked --target "$target" \
  --message-format=json-render-diagnostics >"$logs/build.json" ||
  die "the build failed"

# A field of a cargo JSON message (compact, one object a line).
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$2"; }

binaries=() # "package folder<TAB>executable<TAB>source path"
while IFS= read -r message; do
  exe=$(field executable "$message")
  manifest=$(field manifest_path "$message")
  src=$(field src_path "$message")
  [[ -n $exe ]] || continue
  src=${src#"$root"/}
  binaries+=("$(dirname "$manifest")	$exe	${src#lessons/}")
done < <(grep '"reason":"compiler-artifact"' "$logs/build.json" |
  grep '"profile":{[^}]*"test":true')
[[ ${#binaries[@]} -gt 0 ]] || die "cargo reported no test binaries"

# 2. Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's standard
# library imports. Where the wine prefix lacks it, a stand-in that calls
# RtlGenRandom goes next to the binaries (Windows looks there first).
prefix=${WINEPREFIX:-$HOME/.wine}
if [[ ! -e $prefix/drive_c/windows/system32/bcryptprimitives.dll ]]; then
  echo "==> wine has no bcryptprimitives.dll: building a stand-in"
  cat >"$logs/prng.c" <<'EOF'
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
EOF
  printf 'LIBRARY bcryptprimitives\nEXPORTS\n  ProcessPrng\n' >"$logs/prng.def"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$logs/bcryptprimitives.dll" \
    "$logs/prng.c" "$logs/prng.def" -ladvapi32 || die "the stand-in did not build"
  cp "$logs/bcryptprimitives.dll" "$bin_dir/"
  cp "$logs/bcryptprimitives.dll" "$bin_dir/deps/"
fi

# 3. Run each binary from its package's folder, as cargo does. insta asks
# `cargo metadata` for the workspace unless INSTA_WORKSPACE_ROOT says it;
# CI is unset so that tests needing Python skip when wine has none.
export WINEDEBUG=-all INSTA_WORKSPACE_ROOT="$root" INSTA_UPDATE=no
unset CI

# The number before WORD in libtest's "test result:" line.
count() { grep -o "[0-9]* $1" <<<"$2" | cut -d' ' -f1; }

ran=0 failed_binaries=() skipped_binaries=0 passed=0 failed=0 ignored=0 skipped=0
echo "==> running the test binaries under $(wine --version)"
printf '%-6s %-37s %6s %6s %7s %6s\n' result source passed failed ignored time
for entry in "${binaries[@]}"; do
  IFS=$'\t' read -r dir exe src <<<"$entry"
  if [[ $# -gt 0 ]]; then
    wanted=false
    for pattern in "$@"; do [[ $src == *"$pattern"* ]] && wanted=true; done
    $wanted || continue
  fi
  skips=() whole=
  while IFS=$'\t' read -r where name why; do
    [[ $where == "$src" ]] || continue
    if [[ $name == '*' ]]; then
      whole=$why
    else
      skips+=(--skip "$name")
      skipped=$((skipped + 1))
      printf '       skipped: %s\n         (%s)\n' "$name" "$why"
    fi
  done <<<"$known_artefacts"
  [[ ${#skips[@]} -gt 0 ]] && skips+=(--exact)
  if [[ -n $whole ]]; then
    tests=$(cd "$dir" && wine "$exe" --list 2>/dev/null | grep -c ': test$')
    skipped=$((skipped + tests)) skipped_binaries=$((skipped_binaries + 1))
    printf '%-6s %-37s %d tests\n       (%s)\n' skip "$src" "$tests" "$whole"
    continue
  fi
  log="$logs/$(basename "$exe" .exe).log"
  started=$SECONDS
  (cd "$dir" && timeout -k 10 "$limit" wine "$exe" "${skips[@]}" >"$log" 2>&1)
  status=$?
  took=$((SECONDS - started))
  ran=$((ran + 1))
  result=$(grep '^test result:' "$log" | tail -1)
  p=$(count passed "$result") f=$(count failed "$result") i=$(count ignored "$result")
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) ignored=$((ignored + ${i:-0}))
  verdict=ok why=
  if [[ $status -ne 0 || -z $result ]]; then
    verdict=FAILED
    failed_binaries+=("$src")
    if [[ $status -eq 124 || $status -eq 137 ]]; then
      why="no result within $limit s"
    elif [[ -z $result ]]; then
      why="exit code $status and no test result"
    fi
  fi
  printf '%-6s %-37s %6s %6s %7s %4d s\n' \
    "$verdict" "$src" "${p:--}" "${f:--}" "${i:--}" "$took"
  [[ -n $why ]] && echo "       ($why)"
done

echo
echo "wine: $((ran + skipped_binaries)) test binaries: $((ran - ${#failed_binaries[@]}))" \
  "passed, ${#failed_binaries[@]} failed, $skipped_binaries skipped;" \
  "tests: $passed passed, $failed failed, $ignored ignored, $skipped skipped" \
  "(wine artefacts)"
if [[ ${#failed_binaries[@]} -gt 0 ]]; then
  echo "failed (logs in ${logs#"$root"/}/):"
  printf '  %s\n' "${failed_binaries[@]}"
  echo "re-run them: bash xtask/scripts/wine-tests.sh ${failed_binaries[*]}"
  exit 1
fi
