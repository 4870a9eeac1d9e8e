module 01_allocation_basics

go 1.19
