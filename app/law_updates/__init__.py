"""Law-change updates: when a module version is marked `supersedes_for_law`, officers holding a
valid certificate covering it get a short "what changed" update with a due date."""
