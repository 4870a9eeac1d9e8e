module 04_pooling

go 1.19
