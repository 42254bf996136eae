using System.Globalization;
using VideoFer.Formats;
using VideoFer.Inference.Corpus;
using VideoFer.IO;

namespace VideoFer.Inference.Photos;

/// <summary>The photos of a corpus seen together, from their folders alone (faces.json): every face with its photo,
/// label and probabilities, and the people linked across the photos (<see cref="PhotoPeople"/>). Written out as the
/// corpus's people.csv, the person column of its predictions.csv and the photo grid of its page.</summary>
public sealed class PhotoCollection
{
    /// <summary>One face of the collection.</summary>
    public sealed record Face(CorpusInput Photo, PhotoFaceRecord Record, int Person);

    readonly Dictionary<string, Dictionary<int, int>> _personOf;

    PhotoCollection(IReadOnlyList<Face> faces)
    {
        Faces = faces;
        _personOf = faces.GroupBy(f => f.Photo.Name).ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Record.Face, f => f.Person));
    }

    /// <summary>Every face, photo by photo in corpus order.</summary>
    public IReadOnlyList<Face> Faces { get; }

    /// <summary>Whether people were linked across the photos (false: --people off, every person 0).</summary>
    public bool Linked { get; private init; }

    /// <summary>Reads the faces of <paramref name="photos"/> (completed photo inputs, in corpus order) and, with
    /// <paramref name="link"/>, links them into people.</summary>
    public static PhotoCollection Read(string root, IReadOnlyList<CorpusInput> photos, bool link)
    {
        var read = new List<(CorpusInput Photo, PhotoFaceRecord Record, int Index)>();
        for (int p = 0; p < photos.Count; p++)
            foreach (var record in PhotoOutputs.ReadFaces(PathGuard.Combine(root, photos[p].Name)))
                read.Add((photos[p], record, p));
        var persons = link ? PhotoPeople.Link([.. read.Select(r => new PhotoPeople.Face(r.Index, r.Record.IdentityVector()))]) : new int[read.Count];
        return new PhotoCollection([.. read.Select((r, i) => new Face(r.Photo, r.Record, persons[i]))]) { Linked = link };
    }

    /// <summary>The corpus person of each face of the photo input <paramref name="name"/> (face number to person).</summary>
    public IReadOnlyDictionary<int, int>? PersonOf(string name) => Linked ? _personOf.GetValueOrDefault(name) : null;

    /// <summary>A row of a photo's predictions.csv (frame,time,track,person,...) with its person column set from
    /// <paramref name="persons"/> by its face (track) number.</summary>
    public static string WithPerson(string line, IReadOnlyDictionary<int, int> persons)
    {
        var fields = line.Split(',');
        if (fields.Length > 3 && int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int face) && persons.TryGetValue(face, out int person))
            fields[3] = person.ToString(CultureInfo.InvariantCulture);
        return string.Join(',', fields);
    }

    /// <summary>people.csv: one row per person: the photos and faces it is in, whether it could be compared with
    /// others (a descriptor), how many faces each class labels, its first photo and a thumbnail (corpus-relative).</summary>
    public void WriteCsv(string path, IReadOnlyList<string> classes)
    {
        AtomicFile.WriteText(path, w =>
        {
            w.Write("person,photos,faces,linked," + string.Join(',', classes.Select(CsvFields.Escape)) + ",first_photo,thumbnail\n");
            foreach (var g in Faces.GroupBy(f => f.Person).OrderBy(g => g.Key))
            {
                var first = g.First();
                string counts = string.Join(',', classes.Select(c => g.Count(f => f.Record.Label == c).ToString(CultureInfo.InvariantCulture)));
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{g.Key},{g.Select(f => f.Photo.Name).Distinct().Count()},{g.Count()},{(first.Record.Identity is null ? "no" : "yes")},{counts},") +
                    $"{CsvFields.Escape(first.Photo.Source)},{CsvFields.Escape(first.Photo.Name + "/" + first.Record.Thumbnail)}\n");
            }
        });
    }
}
