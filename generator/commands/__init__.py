"""Commands above the build: diff, workbook, scaffold, bundle."""
