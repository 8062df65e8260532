; Inno Setup script: Backprop Lab's Windows installer (Inno Setup 6.3 or newer).
; It cannot run on this project's Linux build machine; the release workflow runs it.
;
;   python packaging\build.py                                  (makes build\bundle\gui-backprop\)
;   iscc /DAppVersion=0.1.0 packaging\windows\gui-backprop.iss
;
; writes dist\gui-backprop-0.1.0-windows-x64-setup.exe. It installs per machine
; (Program Files) or, with /CURRENTUSER or the wizard's choice, per user without admin
; rights; a Start menu entry, an optional desktop icon, and an uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root SourcePath + "..\.."

[Setup]
AppId={{644D3517-974F-47BF-9349-8792BCFAF931}
AppName=Backprop Lab
AppVersion={#AppVersion}
AppPublisher=Backprop Lab developers
AppComments=Learn backpropagation step by step on real PyTorch tensors
DefaultDirName={autopf}\Backprop Lab
DefaultGroupName=Backprop Lab
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=gui-backprop-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\build\icons\gui-backprop.ico
UninstallDisplayIcon={app}\gui-backprop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\build\bundle\gui-backprop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Backprop Lab"; Filename: "{app}\gui-backprop.exe"
Name: "{autodesktop}\Backprop Lab"; Filename: "{app}\gui-backprop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\gui-backprop.exe"; Description: "{cm:LaunchProgram,Backprop Lab}"; Flags: nowait postinstall skipifsilent
