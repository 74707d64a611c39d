# Turns a file into a C++ source defining ${NS}::${FN}() (a std::string_view) as its bytes.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT} "#include <string_view>\nnamespace ${NS} {\nnamespace {\nconst char bytes[] = {${bytes} 0};\n}\nstd::string_view ${FN}() { return {bytes, ${size}}; }\n}\n")
