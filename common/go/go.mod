module allocaware.local/measure

go 1.19
