module 05_string_building

go 1.19
