import RevisitCore
import Testing

@Suite struct PlateTests {
    @Test(arguments: [
        "京A12345", "粤B8K9Z2", "沪AD12345", "粤BFA1234", "苏E12345D", "京A1234学", "粤Z1234港", "沪A1234挂", "使123456",
        "川A·12345", "浙a 12345",
    ])
    func realPlatesAreValid(plate: String) {
        #expect(Plate.isValid(plate))
    }

    @Test(arguments: ["A12345", "京12345", "京A1234", "京A123456", "北A12345", "京AI2345", "京AD1234X", "ABC-123"])
    func otherShapesAreFlagged(plate: String) {
        #expect(!Plate.isValid(plate))
    }

    @Test func normalisingRemovesDotsAndSpaces() {
        #expect(Plate.normalize("川a·12 345") == "川A12345")
    }
}
