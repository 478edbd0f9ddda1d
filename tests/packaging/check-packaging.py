#!/usr/bin/env python3
# Consistency checks between the Flatpak manifest, desktop file, AppStream metainfo,
# icons and GSettings schema. The validators (desktop-file-validate, appstreamcli,
# glib-compile-schemas) check each file alone; this script checks that they agree.
#
# Usage:
#   check-packaging.py manifest MANIFEST.json
#   check-packaging.py desktop DESKTOP_FILE METAINFO_FILE ICONS_DIR MANIFEST.json
#   check-packaging.py schema GSCHEMA_XML

import configparser
import json
import os
import sys
import xml.etree.ElementTree as ET

APP_ID = 'io.github.fieldlight.Fieldlight'
COMMAND = 'fieldlight'

# The keys the application reads (name: (GVariant type, default as written in the XML)).
SCHEMA_KEYS = {
    'palette': ('s', "'gnome'"),
    'stall-min-value': ('d', '50000'),
    'stall-min-days': ('i', '30'),
    'gap-ratio': ('d', '0.7'),
    'gap-min-pitches': ('i', '10'),
    'weekly-call-count': ('i', '3'),
    'weekly-tech-count': ('i', '2'),
    'weekly-review-count': ('i', '1'),
    'stale-after-hours': ('i', '24'),
    'server-url': ('s', "''"),
    'window-width': ('i', '1280'),
    'window-height': ('i', '800'),
    'window-maximized': ('b', 'false'),
}

REQUIRED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--talk-name=org.freedesktop.secrets',
}

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
    return cond


def check_manifest(path):
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)

    app_id = manifest.get('id', manifest.get('app-id'))
    check(app_id == APP_ID, f'{path}: "id" is {app_id!r}, expected {APP_ID!r}')
    check(manifest.get('command') == COMMAND,
          f'{path}: "command" is {manifest.get("command")!r}, expected {COMMAND!r}')
    check(manifest.get('runtime') == 'org.gnome.Platform',
          f'{path}: "runtime" is {manifest.get("runtime")!r}, expected org.gnome.Platform')
    check(manifest.get('sdk') == 'org.gnome.Sdk',
          f'{path}: "sdk" is {manifest.get("sdk")!r}, expected org.gnome.Sdk')

    finish_args = set(manifest.get('finish-args', []))
    missing = REQUIRED_FINISH_ARGS - finish_args
    extra = finish_args - REQUIRED_FINISH_ARGS
    check(not missing, f'{path}: "finish-args" lacks {sorted(missing)}')
    check(not extra, f'{path}: "finish-args" has unexpected permissions {sorted(extra)}')

    modules = manifest.get('modules', [])
    names = [m.get('name') for m in modules if isinstance(m, dict)]
    if not check(names and names[-1] == COMMAND,
                 f'{path}: the last module is {names[-1:]!r}, expected {COMMAND!r}'):
        return
    check('libshumate' in names, f'{path}: no "libshumate" module (not in the GNOME runtime)')

    app = modules[-1]
    check(app.get('buildsystem') == 'meson',
          f'{path}: module {COMMAND}: "buildsystem" is {app.get("buildsystem")!r}, expected meson')
    sources = app.get('sources', [])
    check(len(sources) == 1 and sources[0].get('type') == 'dir'
          and sources[0].get('path') == '..',
          f'{path}: module {COMMAND}: expected one source of type "dir" with path ".."')

    for module in modules[:-1]:
        name = module.get('name')
        for i, source in enumerate(module.get('sources', [])):
            kind = source.get('type')
            if kind == 'git':
                check('tag' in source or 'commit' in source,
                      f'{path}: module {name}: git source {i} pins neither "tag" nor "commit"')
            elif kind in ('archive', 'file'):
                check('sha256' in source,
                      f'{path}: module {name}: {kind} source {i} has no "sha256"')


def read_desktop_file(path):
    parser = configparser.RawConfigParser(strict=True, delimiters=('=',),
                                          comment_prefixes=('#',))
    parser.optionxform = str  # keys are case-sensitive
    with open(path, encoding='utf-8') as f:
        parser.read_file(f)
    return parser['Desktop Entry']


def check_svg(path, size):
    if not check(os.path.isfile(path), f'{path}: icon file is missing'):
        return None
    root = ET.parse(path).getroot()
    check(root.tag == '{http://www.w3.org/2000/svg}svg', f'{path}: root element is not <svg>')
    view_box = root.get('viewBox')
    check(view_box == f'0 0 {size} {size}',
          f'{path}: viewBox is {view_box!r}, expected "0 0 {size} {size}"')
    return root


def check_desktop(desktop_path, metainfo_path, icons_dir, manifest_path):
    entry = read_desktop_file(desktop_path)
    desktop_id = os.path.basename(desktop_path)
    check(desktop_id == APP_ID + '.desktop',
          f'{desktop_path}: file name is {desktop_id!r}, expected {APP_ID}.desktop')

    icon = entry.get('Icon')
    check(icon == APP_ID, f'{desktop_path}: "Icon" is {icon!r}, expected {APP_ID!r}')
    check_svg(os.path.join(icons_dir, 'hicolor', 'scalable', 'apps', f'{icon}.svg'), 128)
    symbolic = check_svg(os.path.join(icons_dir, 'hicolor', 'symbolic', 'apps',
                                      f'{icon}-symbolic.svg'), 16)
    if symbolic is not None:
        colours = {el.get('fill') for el in symbolic.iter() if el.get('fill') not in (None, 'none')}
        check(len(colours) == 1,
              f'icon {icon}-symbolic.svg: a symbolic icon uses one colour, found {sorted(colours)}')

    exec_line = entry.get('Exec', '')
    binary = exec_line.split()[0] if exec_line.split() else ''
    with open(manifest_path, encoding='utf-8') as f:
        command = json.load(f).get('command')
    check(binary == command,
          f'{desktop_path}: "Exec" runs {binary!r} but the Flatpak manifest command is {command!r}')

    root = ET.parse(metainfo_path).getroot()
    component_id = root.findtext('id')
    check(component_id == APP_ID,
          f'{metainfo_path}: <id> is {component_id!r}, expected {APP_ID!r}')
    launchable = root.findtext("launchable[@type='desktop-id']")
    check(launchable == desktop_id,
          f'{metainfo_path}: <launchable> is {launchable!r}, expected {desktop_id!r}')
    binaries = [b.text for b in root.findall('provides/binary')]
    check(binaries == [command],
          f'{metainfo_path}: <provides><binary> is {binaries!r}, expected [{command!r}]')
    domain = root.findtext("translation[@type='gettext']")
    check(domain == 'fieldlight',
          f'{metainfo_path}: <translation type="gettext"> is {domain!r}, expected fieldlight')


def check_schema(path):
    root = ET.parse(path).getroot()
    check(root.get('gettext-domain') == 'fieldlight',
          f'{path}: <schemalist gettext-domain> is {root.get("gettext-domain")!r}, '
          'expected fieldlight')
    schemas = root.findall('schema')
    if not check(len(schemas) == 1, f'{path}: expected one <schema>, found {len(schemas)}'):
        return
    schema = schemas[0]
    check(schema.get('id') == APP_ID,
          f'{path}: schema id is {schema.get("id")!r}, expected {APP_ID!r}')
    check(schema.get('path') == '/io/github/fieldlight/Fieldlight/',
          f'{path}: schema path is {schema.get("path")!r}')

    keys = {key.get('name'): key for key in schema.findall('key')}
    missing = SCHEMA_KEYS.keys() - keys.keys()
    extra = keys.keys() - SCHEMA_KEYS.keys()
    check(not missing, f'{path}: keys missing: {sorted(missing)}')
    check(not extra, f'{path}: keys not known to the application: {sorted(extra)}')

    for name, (vtype, default) in SCHEMA_KEYS.items():
        key = keys.get(name)
        if key is None:
            continue
        check(key.get('type') == vtype,
              f'{path}: key {name}: type is {key.get("type")!r}, expected {vtype!r}')
        check((key.findtext('default') or '').strip() == default,
              f'{path}: key {name}: default is {key.findtext("default")!r}, expected {default!r}')
        for field in ('summary', 'description'):
            check((key.findtext(field) or '').strip() != '',
                  f'{path}: key {name}: <{field}> is missing or empty')

    choices = [c.get('value') for c in keys['palette'].findall('choices/choice')] \
        if 'palette' in keys else []
    check(choices == ['gnome', 'colorblind'],
          f'{path}: key palette: choices are {choices!r}, expected gnome, colorblind')


def main(argv):
    commands = {
        'manifest': (check_manifest, 1),
        'desktop': (check_desktop, 4),
        'schema': (check_schema, 1),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print('usage: check-packaging.py manifest MANIFEST | desktop DESKTOP METAINFO ICONS_DIR '
              'MANIFEST | schema GSCHEMA', file=sys.stderr)
        return 2
    func, _ = commands[argv[1]]
    func(*argv[2:])
    for message in failures:
        print('FAIL:', message)
    if not failures:
        print(f'{argv[1]}: all checks passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
