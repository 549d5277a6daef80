#!/usr/bin/env bash
# Re-vendor the web pages' third-party assets at their pinned versions.
#
# The vendored files are committed; CI never runs this script. Run it after changing a
# pinned version below, review the diff, and commit the result:
#
#   scripts/vendor-web-assets.sh
#
# What it copies, from the npm registry through the machine's own npm client:
#   @uswds/uswds  -> src/nseers/web/static/vendor/uswds/
#                    css/uswds.min.css, js/uswds.min.js, js/uswds-init.min.js,
#                    img/sprite.svg, and every font and image the CSS references (except
#                    img/hero.jpg: the pages use no hero)
#   htmx.org      -> src/nseers/web/static/vendor/htmx/htmx.min.js
#   axe-core      -> tests/web/vendor/axe.min.js (a test fixture, never served)
# each with its licence and a VERSION note. Nothing is fetched from a CDN at run time.
set -euo pipefail

USWDS_VERSION="3.14.0"
HTMX_VERSION="2.0.11"
AXE_VERSION="4.11.1"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@uswds/uswds@${USWDS_VERSION}" "htmx.org@${HTMX_VERSION}" \
  "axe-core@${AXE_VERSION}" >/dev/null
mkdir uswds htmx axe
tar xzf "uswds-uswds-${USWDS_VERSION}.tgz" -C uswds
tar xzf "htmx.org-${HTMX_VERSION}.tgz" -C htmx
tar xzf "axe-core-${AXE_VERSION}.tgz" -C axe

# ---------------------------------------------------------------- USWDS
dist="$work/uswds/package/dist"
target="$root/src/nseers/web/static/vendor/uswds"
rm -rf "$target"
mkdir -p "$target/css" "$target/js" "$target/img"
cp "$dist/css/uswds.min.css" "$target/css/"
cp "$dist/js/uswds.min.js" "$dist/js/uswds-init.min.js" "$target/js/"
cp "$dist/img/sprite.svg" "$target/img/"
# Every font and image the stylesheet points at (url(../fonts/...), url(../img/...)).
grep -o 'url(\.\./[^)]*)' "$dist/css/uswds.min.css" | sed -e 's/^url(\.\.\///' -e 's/)$//' \
  | sort -u | grep -v '^img/hero\.' | while read -r asset; do
    mkdir -p "$target/$(dirname "$asset")"
    cp "$dist/$asset" "$target/$asset"
  done
cp "$work/uswds/package/LICENSE.md" "$target/LICENSE.md"
printf '@uswds/uswds %s (npm), vendored by scripts/vendor-web-assets.sh\n' \
  "$USWDS_VERSION" >"$target/VERSION"

# ---------------------------------------------------------------- htmx
target="$root/src/nseers/web/static/vendor/htmx"
rm -rf "$target"
mkdir -p "$target"
cp "$work/htmx/package/dist/htmx.min.js" "$target/"
cp "$work/htmx/package/LICENSE" "$target/LICENSE"
printf 'htmx.org %s (npm), vendored by scripts/vendor-web-assets.sh\n' \
  "$HTMX_VERSION" >"$target/VERSION"

# ---------------------------------------------------------------- axe-core (tests only)
target="$root/tests/web/vendor"
mkdir -p "$target"
cp "$work/axe/package/axe.min.js" "$target/axe.min.js"
cp "$work/axe/package/LICENSE" "$target/axe-core.LICENSE"
printf 'axe-core %s (npm), vendored by scripts/vendor-web-assets.sh\n' \
  "$AXE_VERSION" >"$target/axe-core.VERSION"

echo "vendored @uswds/uswds ${USWDS_VERSION}, htmx.org ${HTMX_VERSION}, axe-core ${AXE_VERSION}"
