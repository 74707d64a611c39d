# pugixml (Debian libpugixml-dev): WeCom's callbacks and passive replies are XML.
find_package(pugixml REQUIRED CONFIG)
target_link_libraries(fu_adapters PRIVATE pugixml::pugixml)
