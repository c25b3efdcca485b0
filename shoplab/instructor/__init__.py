"""The instructor's side of Shop Lab: one command line (`shoplab`) over nbgrader.

nbgrader keeps the course directory, the gradebook and the exchange; these modules only
drive it: `cli` (the `shoplab` command), `course` (config, paths, nbgrader calls — release
is `Course.generate`, the one place it happens), `submissions` (LMS downloads into
`submitted/`), `grading` (parallel, resumable autograde with limits on student code),
`limits` (the execution sandbox), `export` (LMS grade CSV), `report` (the class report)
and `simulate` (a reproducible synthetic class for demos, tests and the benchmark).
"""
