"""The languages Veivalg speaks (Norwegian, English) and the way in it offers speakers of ten more."""
