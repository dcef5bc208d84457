# nbdev 2 project: metadata lives in settings.ini (this is nbdev's own template, trimmed).
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    author=cfg['author'], author_email=cfg['author_email'], license='Apache-2.0',
    packages=setuptools.find_packages(include=['mpox_nbdev', 'mpox_nbdev.*']),
    include_package_data=True, python_requires='>=' + cfg['min_python'],
    install_requires=cfg.get('requirements', '').split(),
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
