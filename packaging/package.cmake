# Installing followupd and its Debian package (CPack):
#   cmake --build build --target package   ->  build/followupd_<version>_<arch>.deb
# The package takes the binary already built (stripped on the way in), so it
# costs no compile. Included by the top-level CMakeLists.txt.
include(GNUInstallDirs)
set(FU_PKG ${CMAKE_SOURCE_DIR}/packaging)

install(TARGETS followupd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${FU_PKG}/config.json DESTINATION /etc/followupd  # where followupd looks without --config
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${FU_PKG}/followupd.service DESTINATION lib/systemd/system)
install(FILES ${FU_PKG}/sysusers.conf DESTINATION lib/sysusers.d RENAME followupd.conf)
install(FILES ${FU_PKG}/tmpfiles.conf DESTINATION lib/tmpfiles.d RENAME followupd.conf)

# /usr/share/doc/followupd: the README, the config reference, copyright and
# the changelog, compressed as Debian wants it.
set(FU_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(
  OUTPUT ${FU_CHANGELOG_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
  COMMAND sh -c "gzip -9n < '${FU_PKG}/changelog' > '${FU_CHANGELOG_GZ}'"
  DEPENDS ${FU_PKG}/changelog
  COMMENT "Compressing the changelog"
  VERBATIM)
set(FU_DOC_FILES ${FU_CHANGELOG_GZ})

# The man page: help2man runs the binary's --help and --version, and adds the
# README's chat commands table, the signals, files and environment.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(FU_MAN_H2M ${CMAKE_BINARY_DIR}/packaging/followupd.h2m)
  set(FU_MAN_GZ ${CMAKE_BINARY_DIR}/packaging/followupd.1.gz)
  add_custom_command(
    OUTPUT ${FU_MAN_GZ}
    COMMAND ${CMAKE_COMMAND} -DIN=${FU_PKG}/followupd.h2m.in -DREADME=${CMAKE_SOURCE_DIR}/README.md
            -DCONFIG=/etc/followupd/config.json -DOUT=${FU_MAN_H2M} -P ${FU_PKG}/man.cmake
    # Run from the build folder (no config/demo.json there), so --help shows
    # the installed default config.
    COMMAND ${HELP2MAN} --no-info --section=1 "--name=sales follow-up reminders in team chat"
            --include=${FU_MAN_H2M} --output=${CMAKE_BINARY_DIR}/packaging/followupd.1 $<TARGET_FILE:followupd>
    COMMAND sh -c "gzip -9n < '${CMAKE_BINARY_DIR}/packaging/followupd.1' > '${FU_MAN_GZ}'"
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    DEPENDS followupd ${FU_PKG}/followupd.h2m.in ${FU_PKG}/man.cmake ${CMAKE_SOURCE_DIR}/README.md
    COMMENT "Writing the man page followupd(1)"
    VERBATIM)
  install(FILES ${FU_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (Debian: apt-get install help2man)")
endif()
add_custom_target(followupd_docs ALL DEPENDS ${FU_CHANGELOG_GZ} ${FU_MAN_GZ})
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/CONFIG.md ${FU_PKG}/copyright ${FU_CHANGELOG_GZ}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME followupd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "followupd maintainers <maintainers@users.noreply.h-seed-383a8a4f.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sales follow-up reminders in team chat")
set(CPACK_PACKAGE_DESCRIPTION "followupd pushes each sales follow-up reminder to the rep who owns the
customer, in the team's chat (Telegram, Slack, Feishu, DingTalk, WeCom, e-mail
or its own web chat), records what happened from one-line answers, and gives
managers the team's figures. Chinese and English.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)       # Depends from the libraries the binary links
# The time zones come from the system's tzdata; the user and folders from systemd-sysusers/-tmpfiles.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${FU_PKG}/conffiles ${FU_PKG}/postinst ${FU_PKG}/prerm ${FU_PKG}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
include(CPack)
