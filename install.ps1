# Installs pyv (a pyenv-win compatible Python version manager) for the current user.
#
#   [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor 3072
#   irm <url>/install.ps1 | iex
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Version 0.1.0] [-Root DIR] [-BaseUrl URL] [-Uninstall]
#
# The first line lets `irm` itself use TLS 1.2 on Windows 7/8. With `irm | iex` no arguments can
# be given: set $env:PYV_VERSION, $env:PYV_ROOT, $env:PYV_BASE_URL or $env:PYV_UNINSTALL = '1'
# first. Windows PowerShell 5.1 (Windows 7 SP1 and later) and PowerShell 7. The work is done by
# `pyv self install` / `pyv self uninstall`; this script only fetches and verifies the zip.
param(
    [string]$Version = $env:PYV_VERSION,
    [string]$Root = $env:PYV_ROOT,
    [string]$BaseUrl = $env:PYV_BASE_URL,
    [switch]$Uninstall
)

# Where release zips live: <base>/download/v<version>/pyv-<version>-<target>.zip (+ .sha256),
# and <base>/latest/download/latest-version.txt (GitHub releases have this layout).
# A placeholder until the project has a public releases page: set it, or pass -BaseUrl.
$PyvDefaultBaseUrl = 'https://github.com/OWNER/pyv/releases'

function Get-PyvTarget {
    # A 32-bit PowerShell on 64-bit Windows sees x86 in PROCESSOR_ARCHITECTURE.
    $arch = $env:PROCESSOR_ARCHITEW6432
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch ($arch) {
        'AMD64' { 'x86_64-pc-windows-gnu' }
        'x86' { 'i686-pc-windows-gnu' }
        'ARM64' { 'aarch64-pc-windows-gnullvm' }
        default { throw "pyv: unsupported processor architecture '$arch'" }
    }
}

function Get-PyvFile([string]$Url, [string]$Path) {
    $client = New-Object System.Net.WebClient
    # The system proxy, with the user's Windows credentials (authenticating corporate proxies).
    $client.Proxy = [System.Net.WebRequest]::GetSystemWebProxy()
    $client.Proxy.Credentials = [System.Net.CredentialCache]::DefaultNetworkCredentials
    try { $client.DownloadFile($Url, $Path) }
    catch {
        $e = $_.Exception
        if ($e.InnerException) { $e = $e.InnerException }
        throw "pyv: cannot download $Url ($($e.Message)); check the address, the proxy and the network"
    } finally { $client.Dispose() }
}

function Expand-PyvZip([string]$Zip, [string]$Dir) {
    try {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        [System.IO.Compression.ZipFile]::ExtractToDirectory($Zip, $Dir)
    } catch {
        Expand-Archive -LiteralPath $Zip -DestinationPath $Dir -Force
    }
}

function Invoke-PyvInstaller {
    param([string]$Version, [string]$Root, [string]$BaseUrl, [bool]$Uninstall)
    $ErrorActionPreference = 'Stop'
    # Windows PowerShell 5.1 on Windows 7/8 offers TLS 1.0 only unless asked: add TLS 1.2.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor 3072
    if (-not $Root) { $Root = Join-Path $env:USERPROFILE '.pyenv\pyenv-win' }
    if (-not $BaseUrl) { $BaseUrl = $PyvDefaultBaseUrl }
    $BaseUrl = $BaseUrl.TrimEnd('/')

    if ($Uninstall) {
        $pyv = Join-Path $Root 'bin\pyv.exe'
        if (-not (Test-Path -LiteralPath $pyv)) { throw "pyv: $pyv not found: pyv is not installed in $Root" }
        $saved = $env:PYENV_ROOT
        $env:PYENV_ROOT = $Root
        try { & $pyv self uninstall } finally { $env:PYENV_ROOT = $saved }
        if ($LASTEXITCODE -ne 0) { throw "pyv: 'pyv self uninstall' failed (exit code $LASTEXITCODE)" }
        return
    }

    $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ('pyv-install-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        if (-not $Version) {
            Get-PyvFile "$BaseUrl/latest/download/latest-version.txt" (Join-Path $tmp 'latest-version.txt')
            $Version = (Get-Content -LiteralPath (Join-Path $tmp 'latest-version.txt') -TotalCount 1).Trim()
        }
        $Version = $Version.TrimStart('v')
        $target = Get-PyvTarget
        $name = "pyv-$Version-$target.zip"
        $url = "$BaseUrl/download/v$Version/$name"
        Write-Host "pyv: downloading $url"
        try { Get-PyvFile $url (Join-Path $tmp $name) }
        catch {
            if ($target -notlike 'aarch64-*') { throw }
            # No ARM64 build of this version: Windows 11 on ARM runs the x64 one.
            $name = "pyv-$Version-x86_64-pc-windows-gnu.zip"
            $url = "$BaseUrl/download/v$Version/$name"
            Write-Host "pyv: no ARM64 build; downloading $url"
            Get-PyvFile $url (Join-Path $tmp $name)
        }
        $zip = Join-Path $tmp $name
        Get-PyvFile "$url.sha256" "$zip.sha256"
        $want = ((Get-Content -LiteralPath "$zip.sha256" -TotalCount 1) -split '\s+')[0]
        $got = (Get-FileHash -LiteralPath $zip -Algorithm SHA256).Hash
        if ($got -ne $want) { throw "pyv: checksum mismatch for $name (expected $want, got $got); nothing was installed, try again" }
        $dir = Join-Path $tmp 'pyv'
        Expand-PyvZip $zip $dir
        & (Join-Path $dir 'pyv.exe') self install --root $Root
        if ($LASTEXITCODE -ne 0) { throw "pyv: 'pyv self install' failed (exit code $LASTEXITCODE)" }
    } finally {
        Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Invoke-PyvInstaller -Version $Version -Root $Root -BaseUrl $BaseUrl -Uninstall ($Uninstall -or $env:PYV_UNINSTALL -eq '1')
