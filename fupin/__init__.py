"""Fupin: a village's poverty-alleviation work planned, carried out, checked and reported."""
