"""The packaging script's accounting (the build itself needs PyPI: run it by hand, README: Deploying on AWS)."""

from __future__ import annotations

from package_lambda import MIB, sizes


def test_sizes_count_every_file_and_fold_each_dist_info_into_its_package(tmp_path):
    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy" / "core.so").write_bytes(b"x" * MIB)
    (tmp_path / "numpy-2.1.0.dist-info").mkdir()
    (tmp_path / "numpy-2.1.0.dist-info" / "RECORD").write_bytes(b"y" * 100)
    (tmp_path / "six.py").write_bytes(b"z" * 10)
    total, per_entry = sizes(tmp_path)
    assert total == MIB + 110
    assert per_entry == {"numpy": MIB + 100, "six.py": 10}
