using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Corrections;

/// <summary>A photo as checked on upload.</summary>
internal sealed record CorrectionPhoto(byte[] Content, string ContentType);

/// <summary>Correction photos (an 身份证 or 户口簿 page) kept outside the database, encrypted with the personal-data key
/// under a random file name, so neither the path nor the bytes on disk reveal whose they are.</summary>
internal sealed class CorrectionPhotos(IOptions<CorrectionsOptions> options, IHostEnvironment environment, PersonalDataProtector protector)
{
    private string Directory => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PhotoDirectory));

    /// <summary>The content type the bytes really are (JPEG or PNG by their signature), or null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>Encrypts and stores the photo; returns its random file name.</summary>
    public async Task<string> SaveAsync(byte[] content, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = RandomNumberGenerator.GetHexString(32, lowercase: true) + ".bin";
        var path = Path.Combine(Directory, name);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(protector.Protect(Convert.ToBase64String(content)).AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return name;
    }

    /// <summary>The decrypted photo, or null when the file is gone.</summary>
    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        // Names come from our own rows; refuse anything that could leave the folder all the same.
        if (name.Length == 0 || name != Path.GetFileName(name))
        {
            return null;
        }

        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Convert.FromBase64String(protector.Unprotect(text));
    }

    /// <summary>Deletes a stored photo (a submission that failed after saving it, or its retention passed); a missing file is no error.</summary>
    public void Delete(string name)
    {
        if (name.Length > 0 && name == Path.GetFileName(name))
        {
            File.Delete(Path.Combine(Directory, name));
        }
    }
}
