module 03_benchmem

go 1.19
