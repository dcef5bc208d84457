"The package's shape: no import cycle, literate notebooks, honest requirements, the nbdev project files."
import ast, configparser, json, re, sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_no_import_cycle():
    from mpox_nbdev.structure import find_cycles, import_graph
    graph = import_graph(ROOT / 'mpox_nbdev')
    assert len(graph) >= 20 and find_cycles(graph) == []


def _cells(nb):
    return [c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']


def _exported(c):
    return re.match(r'#\|\s*export\b', ''.join(c['source'])) is not None


def _imports_only(src):
    body = [n for n in ast.parse(src).body]
    return all(isinstance(n, (ast.Import, ast.ImportFrom)) or                       # imports, and the set-up they need:
               (isinstance(n, ast.Assign) and 'LOAD_TRUNCATED' in ast.unparse(n)) or     # Pillow's truncated-file switch,
               (isinstance(n, ast.Expr) and ast.unparse(n) == 'register_heif_opener()') for n in body)  # the HEIC plugin


def test_every_exported_cell_is_shown_or_tested_right_after():
    "fastcore's habit: the code cell after an exported definition demonstrates or tests it (import cells excepted)."
    gaps = []
    for nb in sorted((ROOT / 'nbs').glob('[0-9]*.ipynb')):
        cells = _cells(nb)
        for i, c in enumerate(cells):
            src = ''.join(c['source'])
            if not _exported(c) or _imports_only(src.split('\n', 1)[1]): continue
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt is None or _exported(nxt) or 'nbdev_export()' in ''.join(nxt['source']):
                gaps.append(f"{nb.name}: {src.splitlines()[1][:70]}")
    assert gaps == [], '\n'.join(gaps)


IMPORT_TO_DIST = {'PIL': 'pillow', 'sklearn': 'scikit-learn', 'ai_edge_litert': 'ai-edge-litert', 'dask': 'dask[distributed]',
                  'keras_tuner': 'keras-tuner', 'pillow_heif': 'pillow-heif', 'tf_keras_vis': 'tf-keras-vis', 'IPython': 'ipython',
                  'skimage': 'scikit-image'}


def test_settings_requirements_match_the_package_imports():
    from mpox_nbdev.backbones import LITE
    imported = set()
    for p in (ROOT / 'mpox_nbdev').glob('*.py'):
        for n in ast.walk(ast.parse(p.read_text())):
            if isinstance(n, ast.Import): imported |= {a.name.split('.')[0] for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module: imported.add(n.module.split('.')[0])
    third = {m for m in imported if m not in sys.stdlib_module_names and m != 'mpox_nbdev'}
    needed = {IMPORT_TO_DIST.get(m, m) for m in third} | {mod.replace('_', '-') for mod, _ in LITE.values()}  # weights wheels: importlib
    cfg = configparser.ConfigParser(); cfg.read(ROOT / 'settings.ini')
    listed = set(cfg['DEFAULT']['requirements'].split())
    assert listed == needed, f'missing: {sorted(needed - listed)}, not imported: {sorted(listed - needed)}'
    pinned = {re.split(r'[=<>\[ ]', l)[0].lower() for l in (ROOT / 'requirements.txt').read_text().splitlines() if l and not l.startswith('#')}
    assert {re.split(r'[\[]', d)[0].lower() for d in listed} <= pinned      # requirements.txt installs all of them


def test_quarto_project_points_at_the_notebooks():
    q = yaml.safe_load((ROOT / '_quarto.yml').read_text())
    assert q['project']['type'] == 'website'
    globs = q['project']['render']
    hits = {p for g in globs for p in ROOT.glob(g)}
    assert hits == set((ROOT / 'nbs').glob('[0-9]*.ipynb')) and len(hits) >= 20


def test_manifest_in_names_existing_paths():
    for line in (ROOT / 'MANIFEST.in').read_text().splitlines():
        words = line.split()
        if words and words[0] == 'include': assert all((ROOT / w).exists() for w in words[1:]), line
        if words and words[0] == 'recursive-include': assert (ROOT / words[1]).is_dir(), line


def test_notebooks_leave_the_environment_as_they_found_it():
    "No notebook sets an environment variable by assignment or deletes one: `env_vars` restores what it sets."
    bad = []
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for c in _cells(nb):
            src = ''.join(c['source'])
            if re.search(r"os\.environ\[[^\]]+\]\s*=(?!=)|del os\.environ|os\.environ\.pop\(", src) and 'def env_vars' not in src:
                bad.append(nb.name)
    assert bad == []


def test_only_the_arms_module_names_the_arms():
    "An arm is declared once (06b_arms); every other module asks its record's fields and never compares its name."
    from mpox_nbdev.structure import arm_comparisons
    assert arm_comparisons(ROOT / 'mpox_nbdev') == []


def test_the_runtime_path_imports_nothing_that_trains():
    "What every user runs (`predict`, `web`: the CLI's predict and explain, the book's page) reaches no training, search or shipping module."
    from mpox_nbdev.structure import import_graph
    graph = import_graph(ROOT / 'mpox_nbdev')
    def reach(m, seen=None):
        seen = set() if seen is None else seen
        for d in graph[m] - seen: seen.add(d); reach(d, seen)
        return seen
    for m in ('predict', 'web'):
        assert reach(m) & {'tuning', 'grid', 'experiment', 'gan', 'gan_arm', 'mobile', 'export', 'arms', 'spec'} == set(), (m, sorted(reach(m)))


def test_the_library_reads_nothing_from_bench():
    "bench/ holds benchmarks that call the library, never data the library decides by."
    hits = [f'{p.name}:{i}' for p in (ROOT / 'mpox_nbdev').glob('*.py') for i, l in enumerate(p.read_text().splitlines(), 1)
            if re.search(r"""['"/]bench/""", l)]
    assert hits == [], hits


def test_search_defaults_live_in_the_run_spec():
    "The template's parameters, the CLI's defaults and Hyperband's are RunSpec's defaults: one place for each setting."
    import inspect
    from mpox_nbdev.spec import RunSpec
    from mpox_nbdev.tuning import hyperband_search
    spec = RunSpec().fields()
    nb = json.loads((ROOT / 'nbs' / 'experiment.ipynb').read_text())
    cell = next(c for c in nb['cells'] if 'parameters' in c.get('metadata', {}).get('tags', []))
    ns = {}; exec(''.join(cell['source']), ns)
    assert {k: ns[k] for k in spec} == spec
    hb = inspect.signature(hyperband_search).parameters
    assert (hb['max_epochs'].default, hb['factor'].default) == (spec['max_epochs'], spec['factor'])
    src = (ROOT / 'mpox_nbdev' / 'cli.py').read_text()
    for k in ('seed', 'max_epochs', 'factor', 'gan_ratio', 'gan_steps'):
        assert f'= RunSpec().{k},' in src, k

def test_every_benchmark_is_a_make_target():
    "bench/ holds at most 12 scripts, and `make bench` runs each (a script nothing runs is a second code base)."
    scripts = sorted(p.name for p in (ROOT/'bench').iterdir() if p.suffix in ('.py', '.sh'))
    assert len(scripts) <= 12, scripts
    make = (ROOT/'Makefile').read_text()
    assert [s for s in scripts if f'bench/{s}' not in make] == []
