# libcurl (Debian libcurl4-openssl-dev): a kept SMTP client with STARTTLS,
# AUTH and certificate verification, rather than one written here.
find_package(CURL REQUIRED)
target_link_libraries(fu_adapters PRIVATE CURL::libcurl)
