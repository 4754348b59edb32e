"""Test package (a package so that test modules and conftests in different folders never clash)."""
