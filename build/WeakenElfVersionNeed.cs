// MSBuild task (compiled by RoslynCodeTaskFactory from build/LibTorchSharpCompat.targets, against
// netstandard2.0: hence no spans or newer File APIs).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so lists GLIBCXX_3.4.32 as a required symbol version,
// but only for std::ios_base_library_init, which no relocation uses. Debian 12's libstdc++ stops
// at GLIBCXX_3.4.30, so the dynamic loader refuses the library. Marking that one version need
// as weak (VER_FLG_WEAK in .gnu.version_r) lets the loader accept it; nothing else changes.
// The patch is applied only to the copy in the build output, and is idempotent. By default only when
// the host's libstdc++ lacks the version; with Always (packages and releases, whose output runs on
// machines other than the one that built it) on every host: a weak need that the host's libstdc++
// does satisfy is resolved as before, so the patch is harmless on newer distributions.
#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenElfVersionNeed : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";
    public bool Always { get; set; }

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Files.Length == 0)
            return true;
        string? provider = Always ? null : FindHostLibraryWithVersion("libstdc++.so.6", VersionName);
        if (provider != null)
        {
            Log.LogMessage(MessageImportance.Low, $"{provider} defines {VersionName}; libLibTorchSharp.so left untouched.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                bool changed = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.High, changed
                    ? $"VideoFer: marked the {VersionName} version need weak in {path} ({(Always ? "always, for other hosts" : "the host's libstdc++ lacks it")})"
                    : $"VideoFer: {VersionName} need already weak (or absent) in {path}");
            }
            catch (Exception e)
            {
                Log.LogError($"VideoFer: could not patch {path}: {e.Message}");
                return false;
            }
        }
        return !Log.HasLoggedErrors;
    }

    static string? FindHostLibraryWithVersion(string soname, string version)
    {
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" });
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in dirs)
        {
            string candidate = Path.Combine(dir, soname);
            if (File.Exists(candidate) && IndexOf(File.ReadAllBytes(candidate), needle) >= 0)
                return candidate;
        }
        return null;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Sets VER_FLG_WEAK on every version need named <paramref name="version"/>.
    /// Writes through a temporary file and a rename. Returns whether the file changed.</summary>
    public static bool Patch(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        ushort shentsize = BitConverter.ToUInt16(elf, 0x3A);
        ushort shnum = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            uint link = BitConverter.ToUInt32(elf, sh + 0x28);
            uint entries = BitConverter.ToUInt32(elf, sh + 0x2C); // sh_info = number of Verneed entries
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + (int)link * shentsize) + 0x18));

            int vn = offset;
            for (uint n = 0; n < entries; n++)
            {
                ushort count = BitConverter.ToUInt16(elf, vn + 2);
                int vna = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int a = 0; a < count; a++)
                {
                    uint nameOffset = BitConverter.ToUInt32(elf, vna + 8);
                    if (ReadCString(elf, strtab + (int)nameOffset) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, vna + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, vna + 4);
                            changed = true;
                        }
                    }
                    uint next = BitConverter.ToUInt32(elf, vna + 12);
                    if (next == 0) break;
                    vna += (int)next;
                }
                uint vnNext = BitConverter.ToUInt32(elf, vn + 12);
                if (vnNext == 0) break;
                vn += (int)vnNext;
            }
        }
        if (changed)
        {
            string temp = path + ".videofer-tmp";
            File.WriteAllBytes(temp, elf);
            File.Replace(temp, path, null); // a rename: readers see the old or the new file, never half of one
        }
        return changed;
    }

    static string ReadCString(byte[] data, int start)
    {
        int end = Array.IndexOf(data, (byte)0, start);
        return Encoding.ASCII.GetString(data, start, end - start);
    }
}
