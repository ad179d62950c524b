"""Service points: importing them, the survey links of their instruments, and collection windows."""
