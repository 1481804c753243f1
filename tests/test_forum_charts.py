"""Large-number figure for slides: every figure and label present, in a centred grid."""

from charts.forum import BigNumber, big_numbers


def test_big_numbers_show_each_value_and_label_centred():
    figure = big_numbers([BigNumber("1.470", "Personas atendidas"), BigNumber("·", "Con empleo"),
                          BigNumber("1.550", "Personas sensibilizadas", "alcance indirecto")], columns=2)
    texts = [a.text for a in figure.layout.annotations]
    assert texts == ["<b>1.470</b>", "Personas atendidas", "<b>·</b>", "Con empleo", "<b>1.550</b>",
                     "Personas sensibilizadas", "alcance indirecto"]
    assert {a.xanchor for a in figure.layout.annotations} == {"center"}
    first_row = [a.y for a in figure.layout.annotations[:4:2]]
    assert first_row[0] == first_row[1] > figure.layout.annotations[4].y  # two per row, third below
