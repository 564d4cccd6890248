; Inno Setup script for a Windows installer of the PyInstaller bundle.
; Build the bundle on Windows first (the same packaging/safedesk.spec: py -m PyInstaller
; packaging\safedesk.spec), then compile this with Inno Setup 6: iscc packaging\windows\safedesk.iss
; Not checked here (no Windows on the build machines); see README "Windows".

#define AppName "safedesk"
#define AppVersion "0.1.0"

[Setup]
AppId={{6B7C3B8E-4E55-4B0B-9A7E-5AFE0DE5C001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=safedesk developers
DefaultDirName={autopf}\safedesk
DefaultGroupName=safedesk
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=safedesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\safedesk.exe

[Files]
Source: "..\..\dist\safedesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\safedesk"; Filename: "{app}\safedesk.exe"
Name: "{autodesktop}\safedesk"; Filename: "{app}\safedesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\safedesk.exe"; Description: "Start safedesk"; Flags: nowait postinstall skipifsilent
