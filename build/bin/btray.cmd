@echo off
rem The btray CLI shipped inside Browser Tray, run on the app's own runtime.
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Browser Tray.exe" "%~dp0..\app.asar.unpacked\dist\btray.cjs" %*
