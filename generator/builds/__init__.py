"""What to build, the incremental manifest, batches and atomic outputs."""
