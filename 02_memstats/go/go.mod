module 02_memstats

go 1.19
