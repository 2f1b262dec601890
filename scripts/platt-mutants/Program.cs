// A copy of Lpp's Platt fit (src/Lpp/Learning/Calibration.cs, Calibration.Platt without weights) in which each of the
// 17 surviving mutants of its Newton iteration (docs/mutation.md) can be switched on, run on 24 data sets: random at
// several scales, separable, constant, nearly constant, ±1e200. It prints the original fit and, per mutant, the
// largest relative difference of (a, b) from it, and the fit with the scores centred (the fix set aside).
//   dotnet run -c Release --project scripts/platt-mutants
// Mutants: 1 iteration <= 200; 2 det >= threshold; 3 1e-12*hAA/hBB; 4 1e-12/hAA*hBB; 5 damping - 1e-300;
// 6 hBB - damping; 7 && in the finite check; 8 its break removed; 9 nextLoss < ...; 10 1e-13/|loss|; 11 t <= 1e-10
// (line search); 12 t <= 1e-10 (stop); 13 that break removed; 14, 15 * for / in the move; 16 1 - |b|; 17 moved <= 1e-12.
static class P
{
    static int M;
    static bool On(int m) => M == m;
    static bool Centre;
    static (double a, double b, int it) Platt(double[] raw, int[] y)
    {
        var m = 0.0;
        if (Centre) { var acc = 0.0; foreach (var v in raw) acc += v - raw[0]; m = raw[0] + acc / raw.Length; }
        var scores = raw.Select(v => v - m).ToArray();
        double positives = y.Count(v => v == 1), negatives = y.Length - positives;
        var targets = new double[y.Length];
        var high = (positives + 1.0) / (positives + 2.0);
        var low = 1.0 / (negatives + 2.0);
        for (var i = 0; i < y.Length; i++) targets[i] = y[i] == 1 ? high : low;
        var a = 0.0;
        var b = Math.Log((negatives + 1.0) / (positives + 1.0));
        var loss = Loss(scores, targets, a, b);
        int iteration;
        for (iteration = 0; On(1) ? iteration <= 200 : iteration < 200; iteration++)
        {
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var f = scores[i];
                var p = 1.0 / (1.0 + Math.Exp((a * f) + b));
                var r = (targets[i] - p);
                var w = (p * (1 - p));
                gA += r * f; gB += r; hAA += w * f * f; hAB += w * f; hBB += w;
            }
            var damping = 0.0;
            var det = (hAA * hBB) - (hAB * hAB);
            var thr = On(3) ? 1e-12 * hAA / hBB : On(4) ? 1e-12 / hAA * hBB : 1e-12 * hAA * hBB;
            if (!(On(2) ? det >= thr : det > thr))
            {
                damping = On(5) ? (1e-10 * (hAA + hBB)) - 1e-300 : (1e-10 * (hAA + hBB)) + 1e-300;
                det = ((hAA + damping) * (hBB + damping)) - (hAB * hAB);
            }
            var stepA = -(((On(6) ? hBB - damping : hBB + damping) * gA) - (hAB * gB)) / det;
            var stepB = -(((hAA + damping) * gB) - (hAB * gA)) / det;
            if (On(7) ? !double.IsFinite(stepA) && !double.IsFinite(stepB) : !double.IsFinite(stepA) || !double.IsFinite(stepB))
            {
                if (!On(8)) break;
            }
            var t = 1.0;
            double nextA = a, nextB = b, nextLoss = loss;
            while (true)
            {
                nextA = a + (t * stepA); nextB = b + (t * stepB);
                nextLoss = Loss(scores, targets, nextA, nextB);
                var tol = On(10) ? 1e-13 / Math.Abs(loss) : 1e-13 * Math.Abs(loss);
                if ((On(9) ? nextLoss < loss + tol : nextLoss <= loss + tol) || (On(11) ? t <= 1e-10 : t < 1e-10)) break;
                t /= 2;
            }
            if (On(12) ? t <= 1e-10 : t < 1e-10) { if (!On(13)) break; }
            var moved = Math.Max(
                On(14) ? Math.Abs(nextA - a) * (1 + Math.Abs(a)) : Math.Abs(nextA - a) / (1 + Math.Abs(a)),
                On(15) ? Math.Abs(nextB - b) * (1 + Math.Abs(b)) : Math.Abs(nextB - b) / (On(16) ? 1 - Math.Abs(b) : 1 + Math.Abs(b)));
            a = nextA; b = nextB; loss = nextLoss;
            if (On(17) ? moved <= 1e-12 : moved < 1e-12) break;
        }
        return (a, b - a * m, iteration);
    }
    static double Loss(double[] s, double[] t, double a, double b)
    {
        var loss = 0.0;
        for (var i = 0; i < s.Length; i++)
        {
            var z = (a * s[i]) + b;
            var sp = Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            loss += (t[i] * sp) + ((1 - t[i]) * (sp - z));
        }
        return loss;
    }
    static void Main()
    {
        var data = new List<(string, double[], int[])>();
        data.Add(("const0.7", Enumerable.Repeat(0.7, 8).ToArray(), [1, 1, 1, 1, 1, 1, 0, 0]));
        data.Add(("zeros", [0, 0, 0], [1, 1, 0]));
        data.Add(("const-3", Enumerable.Repeat(-3.0, 5).ToArray(), [1, 0, 0, 1, 1]));
        data.Add(("const1e6", Enumerable.Repeat(1e6, 5).ToArray(), [1, 0, 0, 1, 1]));
        data.Add(("const1e-8", Enumerable.Repeat(1e-8, 5).ToArray(), [1, 0, 0, 1, 1]));
        var rnd = new Random(1);
        foreach (var (n, scale) in new[] { (200, 1.0), (200, 100.0), (50, 1e-6), (1000, 3.0), (7, 1.0), (2, 1.0) })
        {
            var s = new double[n]; var y = new int[n];
            for (var i = 0; i < n; i++) { s[i] = scale * (rnd.NextDouble() * 4 - 2); y[i] = rnd.NextDouble() < 1 / (1 + Math.Exp(-2 * s[i] / scale)) ? 1 : 0; }
            if (y.All(v => v == y[0])) y[0] = 1 - y[0];
            data.Add(($"rand{n}x{scale}", s, y));
        }
        { var s = Enumerable.Range(0, 20).Select(i => (double)i).ToArray(); data.Add(("separable", s, s.Select(v => v >= 10 ? 1 : 0).ToArray())); }
        { var s = Enumerable.Range(0, 20).Select(i => i * 1e5).ToArray(); data.Add(("separable1e5", s, s.Select(v => v >= 1e6 ? 1 : 0).ToArray())); }
        { double[] s = [1e200, -1e200, 1e200, -1e200]; data.Add(("huge", s, [1, 0, 0, 1])); }
        { double[] s = [0, 0, 0, 1e-300]; data.Add(("nearconst", s, [1, 0, 0, 1])); }
        { double[] s = [5, 5, 5, 5.000000001]; data.Add(("nearconst5", s, [1, 0, 1, 1])); }
        foreach (var spread in new[] { 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 1e-8 })
        {
            var r2 = new Random(7); var n2 = 40; var s2 = new double[n2]; var y2 = new int[n2];
            for (var i = 0; i < n2; i++) { var u = r2.NextDouble() * 2 - 1; s2[i] = 5 + spread * u; y2[i] = r2.NextDouble() < 1 / (1 + Math.Exp(-2 * u)) ? 1 : 0; }
            data.Add(($"spread{spread}", s2, y2));
        }
        M = 0;
        var baseRes = data.Select(d => Platt(d.Item2, d.Item3)).ToArray();
        for (var i = 0; i < data.Count; i++) Console.WriteLine($"base {data[i].Item1}: a={baseRes[i].a:R} b={baseRes[i].b:R} it={baseRes[i].it}");
        Centre = true;
        var cen = data.Select(d => Platt(d.Item2, d.Item3)).ToArray();
        for (var i = 0; i < data.Count; i++) Console.WriteLine($"centred {data[i].Item1}: a={cen[i].a:R} b={cen[i].b:R} it={cen[i].it} rel={Math.Max(Math.Abs(cen[i].a - baseRes[i].a) / (1 + Math.Abs(baseRes[i].a)), Math.Abs(cen[i].b - baseRes[i].b) / (1 + Math.Abs(baseRes[i].b))):E2}");
        Centre = false;
        for (M = 1; M <= 17; M++)
        {
            var worst = 0.0; var where = "";
            for (var i = 0; i < data.Count; i++)
            {
                (double a, double b, int it) r;
                try { r = Platt(data[i].Item2, data[i].Item3); } catch (Exception e) { Console.WriteLine($"M{M} {data[i].Item1}: {e.GetType().Name}"); continue; }
                var d = Math.Max(Math.Abs(r.a - baseRes[i].a) / (1 + Math.Abs(baseRes[i].a)), Math.Abs(r.b - baseRes[i].b) / (1 + Math.Abs(baseRes[i].b)));
                if (double.IsNaN(d) && !(double.IsNaN(r.a) && double.IsNaN(baseRes[i].a))) d = double.PositiveInfinity;
                if (d > worst || double.IsNaN(d)) { worst = d; where = $"{data[i].Item1} a={r.a:R} b={r.b:R} it={r.it}"; }
                if (d > 1e-9) Console.WriteLine($"   M{M} {data[i].Item1}: {d:E2} a={r.a:R} b={r.b:R} it={r.it}");
            }
            Console.WriteLine($"M{M}: worst rel diff {worst:E2} at {where}");
        }
    }
}
