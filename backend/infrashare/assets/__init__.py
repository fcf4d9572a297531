"""The asset registry: towers, poles, ducts, cables, machine rooms and reserved space."""
