"""tests/functional: modules and roles against moto server and the Atlas emulator.

This file puts tests/functional on sys.path, so the suites import module_runner (the one way
to run a module in-process or through `ansible`).
"""
