"""scikit-learn side of training-runner/bench.sh: the same jobs on the same CSVs, one job per process so each
figure is a whole process (interpreter start, imports, CSV reading, fit, evaluation), like the project's CLI.
Usage: sklearn_bench.py demand-ols|demand-hgb|anomaly|score-batch CSV [ROWS]. Prints 'mae=...' or 'rows_per_s=...'."""
import sys
import time

job, path = sys.argv[1], sys.argv[2]
import numpy as np
import pandas as pd

if job.startswith("demand"):
    from sklearn.model_selection import train_test_split
    from sklearn.metrics import mean_absolute_error
    df = pd.read_csv(path, parse_dates=["date"])
    df["day_of_year"] = df["date"].dt.dayofyear
    df["day_of_week"] = df["date"].dt.dayofweek
    df["is_weekend"] = (df["day_of_week"] >= 5).astype(int)
    cols = ["day_of_year", "day_of_week", "is_weekend", "avg_basket_value", "promo_flag"]
    train, test = train_test_split(df, test_size=0.2, random_state=42)
    if job == "demand-ols":  # the Python experiments' LinearRegression, one per product like the project
        from sklearn.linear_model import LinearRegression
        pred = pd.Series(0.0, index=test.index)
        for pid, part in train.groupby("product_id"):
            m = LinearRegression().fit(part[cols], part["demand"])
            rows = test["product_id"] == pid
            pred[rows] = m.predict(test.loc[rows, cols])
    else:  # histogram gradient boosting, product as a category (no lag features)
        from sklearn.ensemble import HistGradientBoostingRegressor
        codes = {p: i for i, p in enumerate(sorted(df["product_id"].unique()))}
        X = lambda d: np.column_stack([d[cols].to_numpy(), d["product_id"].map(codes).to_numpy()])
        m = HistGradientBoostingRegressor(max_iter=400, max_depth=6, learning_rate=0.1,
                                          categorical_features=[len(cols)], random_state=42)
        m.fit(X(train), train["demand"])
        pred = m.predict(X(test))
    print("mae=%.4f" % mean_absolute_error(test["demand"], pred))
elif job == "anomaly":  # as the Python experiments: fit, then flag every row
    from sklearn.ensemble import IsolationForest
    df = pd.read_csv(path)
    X = df[["avg_processing_ms", "item_count", "payment_score"]].to_numpy()
    m = IsolationForest(n_estimators=200, contamination=0.1, random_state=42).fit(X)
    flagged = m.predict(X) == -1
    tp = int((flagged & (df["label"] == 1)).sum())
    print("precision=%.4f" % (tp / max(1, flagged.sum())))
elif job == "score-batch":  # decision_function over many rows, in-process throughput (2 cores: n_jobs=2)
    from sklearn.ensemble import IsolationForest
    df = pd.read_csv(path)
    X = df[["avg_processing_ms", "item_count", "payment_score"]].to_numpy()
    m = IsolationForest(n_estimators=200, contamination=0.1, random_state=42, n_jobs=2).fit(X)
    rows = int(sys.argv[3])
    rng = np.random.default_rng(1)
    B = X[rng.integers(0, len(X), rows)]
    start = time.perf_counter()
    m.decision_function(B)
    print("rows_per_s=%.0f" % (rows / (time.perf_counter() - start)))
