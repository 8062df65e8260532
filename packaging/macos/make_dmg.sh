#!/usr/bin/env bash
# Backprop Lab for macOS: build "Backprop Lab.app" and a .dmg holding it.
# It cannot run on this project's Linux build machine; the release workflow runs it on
# a macOS runner (the .dmg is for the runner's architecture: arm64 or x86_64).
#
#   bash packaging/macos/make_dmg.sh      ->  dist/gui-backprop-VERSION-macos-ARCH.dmg
#
# build.py freezes with the spec's BUNDLE step, which wraps the one-folder bundle into
# build/bundle/Backprop Lab.app (icon from render_icons.py). PyInstaller signs it ad hoc,
# enough to run locally; distributing it beyond that needs a Developer ID signature and
# notarisation (codesign / notarytool), which are not done here.
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 packaging/build.py
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
app="build/bundle/Backprop Lab.app"
staging="build/dmg"
dmg="dist/gui-backprop-${version}-macos-$(uname -m).dmg"

rm -rf "$staging"
mkdir -p "$staging" dist
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"   # drag-to-install target
hdiutil create -volname "Backprop Lab" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -ov "$dmg"
echo "written: $dmg"
