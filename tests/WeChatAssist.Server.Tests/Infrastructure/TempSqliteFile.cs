namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>A SQLite file path in a fresh temporary folder, deleted with the folder afterwards.</summary>
public sealed class TempSqliteFile : IDisposable
{
    public TempSqliteFile()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wca-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "test.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A host still shutting down may hold the file for a moment; the temp folder is disposable anyway.
        }
    }
}
