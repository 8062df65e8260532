#!/bin/sh
# Backprop Lab from the .tar.gz: put it in your desktop's menu.
#
#   ./install.sh              add the menu entry, its icon, the .bplab file type (so a
#                             file manager opens sessions with the app) and a
#                             `gui-backprop` command in ~/.local/bin
#   ./install.sh --uninstall  take them out again (this folder stays: delete it yourself)
#
# Everything goes into your home ($XDG_DATA_HOME, by default ~/.local/share, and
# ~/.local/bin); nothing needs root. The menu entry points at this folder, so run the
# script again after moving it. (The .deb installs the same files system-wide.)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
app="$here/gui-backprop"
resources="$here/_internal/resources"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
marker="# written by Backprop Lab's install.sh"

desktop="$data/applications/gui-backprop.desktop"
icon="$data/icons/hicolor/scalable/apps/gui-backprop.svg"
mime="$data/mime/packages/gui-backprop.xml"
command="$HOME/.local/bin/gui-backprop"

refresh() {
    # Let the desktop see the change now; each cache tool is optional.
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$data/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    fi
}

ours() {
    # Only a command this script wrote is replaced or removed (not, say, a pip one).
    [ ! -e "$1" ] || grep -qxF "$marker" "$1"
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$desktop" "$icon" "$mime"
    if ours "$command"; then rm -f "$command"; fi
    refresh
    echo "Backprop Lab: menu entry, icon, file type and command removed."
    exit 0
elif [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi

if [ ! -x "$app" ] || [ ! -f "$resources/gui-backprop.desktop" ]; then
    echo "install.sh: run it from the unpacked gui-backprop folder ($app is missing)" >&2
    exit 1
fi
case "$app" in
    *"
"*) echo "install.sh: the folder's path holds a line break; move it first" >&2; exit 1 ;;
esac

# Exec= quoting (Desktop Entry spec): inside double quotes, \ " ` $ take a backslash,
# and % is doubled; then every backslash is doubled again, the .desktop string escape.
exec_path=$(printf '%s\n' "$app" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')
# The wrapper's path in single quotes, each ' written as '\''.
sh_path=$(printf '%s\n' "$app" | sed "s/'/'\\\\''/g")

mkdir -p "$(dirname "$desktop")" "$(dirname "$icon")" "$(dirname "$mime")" \
    "$(dirname "$command")"
# The packaged entry runs `gui-backprop` from PATH; this one runs this folder's app.
# (awk, not sed: the path may hold any character sed's replacement treats specially.)
EXEC_LINE="Exec=\"$exec_path\" %f" awk '
    /^Exec=/ { print ENVIRON["EXEC_LINE"]; next }
    { print }' "$resources/gui-backprop.desktop" > "$desktop.new"
mv "$desktop.new" "$desktop"
cp "$resources/icons/gui-backprop.svg" "$icon"
cp "$resources/gui-backprop-mime.xml" "$mime"
if ours "$command"; then
    printf '#!/bin/sh\n%s\nexec '\''%s'\'' "$@"\n' "$marker" "$sh_path" > "$command"
    chmod 755 "$command"
    command_note="and the command $command"
else
    command_note="(not the command: $command exists and is not ours)"
fi
refresh
echo "Backprop Lab: menu entry, icon and .bplab file type installed in $data,"
echo "$command_note. Undo with: $0 --uninstall"
