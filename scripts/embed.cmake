# Turns a file into a C++ source defining fu::server::web_page() as its bytes.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT} "#include <string_view>\nnamespace fu::server {\nnamespace {\nconst char page[] = {${bytes} 0};\n}\nstd::string_view web_page() { return {page, ${size}}; }\n}\n")
