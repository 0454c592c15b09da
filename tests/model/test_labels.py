from model.labels import article_of, long_label, short_label


def test_labels():
    assert short_label("art_7-1__para_2__subpara_3") == "Art. 7-1, para. 2, subpara. 3)"
    assert long_label("art_7-1__para_2__subpara_3") == "Article 7-1, paragraph 2, subparagraph 3)"
    assert long_label("chp_6__heading") == "Chapter 6, heading"
    assert short_label("art_64__part_2") == "Art. 64, part 2"
    assert short_label("sec_1") == "Sec. 1"
    assert article_of("art_9__heading") == "art_9" and article_of("chp_7") is None
